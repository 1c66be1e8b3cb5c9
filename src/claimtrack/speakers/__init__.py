"""People and organisations whose statements claimtrack follows."""
