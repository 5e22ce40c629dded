"""One router module per resource."""

from reelcut.service.routes import agent, auth, credits, renders, state, tasks, uploads

ROUTERS = [
    auth.router,
    tasks.router,
    uploads.router,
    agent.router,
    state.router,
    credits.router,
    renders.router,
]

__all__ = ["ROUTERS"]
