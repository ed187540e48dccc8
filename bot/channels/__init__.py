"""Rasa input channels for residents: the widget's socket.io and the REST webhook, guarded.

``web.SocketIOChannel`` and ``web.RestChannel`` (registered in ``credentials.yml`` by module path) behave
like Rasa's own channels, plus: messages per conversation and per client address are limited (token
buckets, in Redis when ``YIJIAN_REDIS_URL`` is set), oversized messages are refused, and when a
custom action fails (action server down) the resident is told so in Chinese instead of hearing nothing.
"""
