"""The web layer: the JSON API (api.py) and its error handlers (errors.py), the Gradio chat (chat.py), the origin
gate (origins.py), the request limits (limits.py), what they share (service.py) and the feedback store
(feedback.py). ``app.py`` at the repository's root puts them together with ``create_app(settings)``."""
