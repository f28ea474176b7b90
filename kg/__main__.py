"""``python -m kg`` runs the command line."""
try:
    from kg.cli import main
except KeyboardInterrupt:  # Ctrl-C while starting: exit as the command would, without a traceback
    raise SystemExit(130) from None

main()
