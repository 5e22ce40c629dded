from reelcut.cli import main

# Guarded: a spawned child process (the service's early analysis) imports the main module.
if __name__ == "__main__":
    main()
