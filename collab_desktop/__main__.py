import sys

from collab_desktop.app import main

sys.exit(main())
