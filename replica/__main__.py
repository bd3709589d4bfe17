"""python -m replica [--port 8800] [--warm] [--slow-delay 5] [--verbose]: the same as `nianbao replica`."""
import sys

from replica.cli import main

if __name__ == "__main__":
    sys.exit(main())
