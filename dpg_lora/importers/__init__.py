"""Import files from elsewhere into a dpg-lora graph: T2ITrainer training configs, the original
editor's workflows, and (passed through) dpg-lora graphs. Each import returns notes, never a
silent fix."""
from __future__ import annotations
