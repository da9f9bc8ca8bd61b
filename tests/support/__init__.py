"""What tests share besides conftest.py: Chromium through Playwright, and a server of
recorded answers on 127.0.0.1."""
