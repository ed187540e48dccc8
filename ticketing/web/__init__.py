"""Server-rendered pages: the resident chat page and the hotline staff console."""
