"""Serve the replica on 127.0.0.1 until Ctrl-C: `nianbao replica` and `python -m replica` both run this.

    nianbao replica [--port 8800] [--warm] [--slow-delay 5] [--verbose]

It binds the loopback interface only: there is no option to serve it on another one."""
import argparse


def add_arguments(parser):
    parser.add_argument("--port", type=int, default=8800, help="port on 127.0.0.1 (0 picks a free port)")
    parser.add_argument("--slow-delay", type=float, default=5.0, help="seconds the slow page waits")
    parser.add_argument("--warm", action="store_true", help="render every page and attachment before serving")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser


def run(args):
    from replica.server import Replica
    replica = Replica(port=args.port, slow_delay=args.slow_delay, verbose=args.verbose)
    try:
        if args.warm:
            replica.warm()
        replica.start()
        print(f"replica serving {len(replica.hosts)} hosts at {replica.base_url} "
              f"({len(replica.catalog.reports)} reports); control host: replica.local", flush=True)
        for host in replica.hosts:
            print(f"  {host}", flush=True)
        replica._thread.join()
    except KeyboardInterrupt:
        replica.stop()
    return 0


def main(argv=None):
    parser = add_arguments(argparse.ArgumentParser(prog="python -m replica", description=__doc__))
    return run(parser.parse_args(argv))
