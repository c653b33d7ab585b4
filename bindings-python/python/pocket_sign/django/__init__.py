"""Django integrations of pocket-sign (``pocket_sign.django.spa_auth``)."""
