# sftp/: the SFTP server, its virtual filesystem and legacy SCP.
