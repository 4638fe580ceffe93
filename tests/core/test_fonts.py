"""The CJK font is found at the known places, else through fontconfig (run without a shell, with a
timeout); missing or broken fc-* tools mean "no font", never an error."""
import os
import stat

import pytest

theme = pytest.importorskip("dpg_lora.ui.theme", reason="Dear PyGui (or libX11) is missing")


@pytest.fixture
def no_known_fonts(monkeypatch, tmp_path):
    monkeypatch.setattr(theme, "FONT_CANDIDATES", (str(tmp_path / "absent.ttc"),))
    monkeypatch.setattr(theme, "LATIN_FALLBACK", (str(tmp_path / "absent.ttf"),))
    monkeypatch.delenv("DPG_LORA_FONT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    (tmp_path / "bin").mkdir()
    theme.find_cjk_font.cache_clear()
    yield tmp_path
    theme.find_cjk_font.cache_clear()


def tool(folder, name, script):
    path = folder / "bin" / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_a_known_font_file_is_taken_without_asking_fontconfig(monkeypatch, tmp_path):
    font = tmp_path / "wqy-microhei.ttc"
    font.write_bytes(b"x")
    monkeypatch.setattr(theme, "FONT_CANDIDATES", (str(tmp_path / "absent.ttc"), str(font)))
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-* at all
    theme.find_cjk_font.cache_clear()
    try:
        assert theme.find_cjk_font() == str(font)
    finally:
        theme.find_cjk_font.cache_clear()


@pytest.mark.skipif(os.name == "nt", reason="sh scripts")
def test_fontconfig_answer_is_used_when_it_covers_chinese(no_known_fonts):
    font = no_known_fonts / "My Fonts" / "NotoSansSC.otf"  # a space in the path: no shell involved
    font.parent.mkdir()
    font.write_bytes(b"x")
    tool(no_known_fonts, "fc-match", f"printf '%s' '{font}'\n")
    tool(no_known_fonts, "fc-list", f"printf '%s: \\n' '{font}'\n")
    assert theme.find_cjk_font() == str(font)
    assert theme.find_font() == (str(font), True)


@pytest.mark.skipif(os.name == "nt", reason="sh scripts")
def test_a_fontconfig_guess_without_chinese_is_not_taken(no_known_fonts):
    latin = no_known_fonts / "DejaVuSans.ttf"
    latin.write_bytes(b"x")
    tool(no_known_fonts, "fc-match", f"printf '%s' '{latin}'\n")
    tool(no_known_fonts, "fc-list", "exit 0\n")  # nothing has Chinese glyphs
    assert theme.find_cjk_font() is None
    assert theme.find_font() == (None, False)


@pytest.mark.skipif(os.name == "nt", reason="sh scripts")
def test_droid_fallback_is_never_the_font(no_known_fonts):
    droid = no_known_fonts / "DroidSansFallbackFull.ttf"
    droid.write_bytes(b"x")
    tool(no_known_fonts, "fc-match", f"printf '%s' '{droid}'\n")
    tool(no_known_fonts, "fc-list", f"printf '%s: \\n' '{droid}'\n")
    assert theme.find_cjk_font() is None


@pytest.mark.skipif(os.name == "nt", reason="sh scripts")
def test_a_hanging_or_missing_fontconfig_means_no_font(no_known_fonts, monkeypatch):
    monkeypatch.setattr(theme, "FC_TIMEOUT_S", 0.3)
    tool(no_known_fonts, "fc-match", "exec sleep 5\n")
    assert theme.find_cjk_font() is None  # timed out, not hung
    theme.find_cjk_font.cache_clear()
    (no_known_fonts / "bin" / "fc-match").unlink()
    assert theme.find_cjk_font() is None
