"""What every app's demo data shares: the password of the demo accounts (printed by `manage.py load_demo`)."""

DEMO_PASSWORD = "demo-perseverance"
