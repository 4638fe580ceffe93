"""dpg-lora: a node editor for T2ITrainer LoRA training configs."""

__version__ = "0.1.0"
