"""The HTTP side of ActivityPub federation: WebFinger, NodeInfo, actors, outboxes, inboxes."""
