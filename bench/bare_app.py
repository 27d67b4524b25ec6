"""The baseline for the throughput ratio: Flask doing as little as Flask can.

It runs under exactly the gunicorn settings the portal gets, so the ratio
portal/bare cancels out the machine, the server and the load generator and
leaves what the portal itself costs per request. Nothing here touches a
database, a template or a session on purpose.
"""

from __future__ import annotations

from flask import Flask, Response

# About 1 KB, like a small real page, so the baseline also pays for sending a body.
_FILLER = " ".join(["Nothing to see here, this page is the same for everyone."] * 15)
PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Bare page</title>
</head>
<body>
  <main>
    <h1>Bare page</h1>
    <p>{_FILLER}</p>
  </main>
</body>
</html>
""".encode()

app = Flask(__name__)


@app.get("/")
def page() -> Response:
    return Response(PAGE, mimetype="text/html")
