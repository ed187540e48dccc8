"""Open311 GeoReport v2 adapter: outside clients file and read tickets through the same service layer."""
