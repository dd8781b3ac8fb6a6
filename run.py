"""WSGI entry point (`gunicorn run:app`) and development server (`python run.py`)."""
import os

from app import create_app

app = create_app(os.environ.get("HAMRAH_CONFIG", "config.Config"))

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")))
