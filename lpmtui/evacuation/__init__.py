"""Evacuating a frame and bringing it home: planning and running."""
