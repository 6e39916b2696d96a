"""ActivityPub federation: communes, actors and participation spaces as fediverse actors."""
