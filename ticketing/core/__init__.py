"""Foundation: settings, database engine, config files, time, the domain's error type. Imports nothing else of ours."""
