"""Pages of reunions, one module per topic. Every view is wrapped by one decorator of collectifs.access, fetches
its objects through reunions.access (another collectif's object is 404, a rule refused is 403), then calls one
service."""
