"""Resolution: short forms to full names within an article, names to shared identities across articles."""
