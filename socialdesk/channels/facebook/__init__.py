"""Facebook Page + Messenger: feed comments and visitor posts, Messenger DMs; public replies,
private replies to comments (once, 7 days), Messenger within 24 h then HUMAN_AGENT, hide and delete."""

from socialdesk.channels.meta.adapter import MetaCommentsAdapter

ADAPTER = MetaCommentsAdapter(
    name="facebook", display="Facebook", owner_key="page_id", reply_edge="comments", hide_field="is_hidden"
)
