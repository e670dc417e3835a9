"""What both web doors (the web chat and the agent console) share: request checks, sessions, pages."""
