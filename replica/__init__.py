"""The local replica of the government portals: `nianbao replica --port 8800` (or `python -m replica`)."""
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"   # the real pages and seed truths it serves (data/README.md)
