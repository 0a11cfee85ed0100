"""``python -m sim``: run one scenario, or a sweep with ``-m``, and write its run folders."""

from sim.cli import main

if __name__ == "__main__":
    main()
