"""One module per GIL experiment; each exposes `run(cfg, log)` returning a JSON-ready dict."""
