from reelcut.cli import main

main()
