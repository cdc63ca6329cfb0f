import sys

from generator.cli import main

if __name__ == "__main__":  # the build's worker processes may import this module again
    sys.exit(main())
