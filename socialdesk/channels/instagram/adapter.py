"""Instagram on the Graph API: the adapter Facebook Pages and Instagram share, with Instagram's names."""

from socialdesk.channels.meta.adapter import MetaCommentsAdapter

ADAPTER = MetaCommentsAdapter(
    name="instagram", display="Instagram", owner_key="ig_user_id", reply_edge="replies", hide_field="hide"
)
