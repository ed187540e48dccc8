"""What the JSON API, the pages and Open311 share at the HTTP edge: dependencies, sessions, the API token, errors, limits."""
