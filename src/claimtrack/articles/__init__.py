"""New texts checked for repeats, and the appearances of known statements in them."""
