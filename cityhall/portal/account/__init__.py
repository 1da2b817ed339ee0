"""The citizen's account pages: sign up, sign in (password or emailed link), passwords, details."""
