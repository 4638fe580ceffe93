"""Build step: the wheel carries the top-level presets/ and themes/ folders (their source) as package
data under dpg_lora/_data/, where dpg_lora/resources.py finds them. Everything else is in
pyproject.toml. An editable install has no _data and reads the source tree's folders directly."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("presets", "themes")  # dpg_lora/resources.py: SHIPPED


class build_py_with_shipped_files(build_py):
    def run(self):
        super().run()
        for name in SHIPPED:
            source = ROOT / name
            files = sorted(source.glob("*.json"))
            if not files:
                raise SystemExit(f"setup.py: {source} holds no .json files; the wheel would ship none")
            target = Path(self.build_lib) / "dpg_lora" / "_data" / name
            self.mkpath(str(target))
            for path in files:
                self.copy_file(str(path), str(target / path.name))


setup(cmdclass={"build_py": build_py_with_shipped_files})
