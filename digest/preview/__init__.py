"""`digest serve`: the live preview, re-rendering only the pages a save changes."""
