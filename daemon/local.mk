# daemon/: listener, configuration, logging, main.
