"""The Dear PyGui editor. Import `dpg_lora.ui.app.run_editor`; nothing here runs on import."""
