"""RunForm: functional movement assessment, planning and progress tracking for runners."""

__version__ = "0.1.0"
