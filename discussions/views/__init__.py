"""The pages of discussions, one module per topic: `threads` (list, thread page, new thread), `messages` (reply,
edit), `follows` (follow, unfollow)."""
