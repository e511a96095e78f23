# keygen/: nanossh-keygen.
