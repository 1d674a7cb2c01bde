"""Instagram (professional account via the Graph API): comments on our media and DMs; public
replies, private replies to comments (once, 7 days), DMs within 24 h then HUMAN_AGENT, hide, delete."""

from socialdesk.channels.meta.adapter import MetaCommentsAdapter

ADAPTER = MetaCommentsAdapter(
    name="instagram", display="Instagram", owner_key="ig_user_id", reply_edge="replies", hide_field="hide"
)
