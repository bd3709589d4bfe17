"""python -m replica [--port 8800] [--slow-delay 3] [--verbose]: serve the replica on 127.0.0.1."""
import argparse

from replica.server import Replica


def main():
    parser = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    parser.add_argument("--port", type=int, default=8800, help="0 picks a free port")
    parser.add_argument("--slow-delay", type=float, default=5.0, help="seconds the slow page waits")
    parser.add_argument("--warm", action="store_true", help="render every page and attachment before serving")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args()
    replica = Replica(port=args.port, slow_delay=args.slow_delay, verbose=args.verbose)
    if args.warm:
        replica.warm()
    replica.start()
    print(f"replica serving {len(replica.hosts)} hosts at {replica.base_url} "
          f"({len(replica.catalog.reports)} reports); control host: replica.local", flush=True)
    for host in replica.hosts:
        print(f"  {host}", flush=True)
    try:
        replica._thread.join()
    except KeyboardInterrupt:
        replica.stop()


if __name__ == "__main__":
    main()
