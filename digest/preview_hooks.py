"""MkDocs hooks for `digest serve` (loaded by path, so they only delegate)."""

from digest.preview import on_config, on_post_build

__all__ = ["on_config", "on_post_build"]
