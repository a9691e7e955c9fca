from outlook_tui.cli import main

raise SystemExit(main())
