"""One router module per resource."""

from reelcut.service.routes import agent, auth, credits, jobs, renders, state, tasks, uploads

# The routes polled most come first: a request is matched against the routes in order.
ROUTERS = [
    credits.router,
    state.router,
    renders.router,
    auth.router,
    tasks.router,
    uploads.router,
    agent.router,
    jobs.router,
]

__all__ = ["ROUTERS"]
