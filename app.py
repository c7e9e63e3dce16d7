from govtrack import create_app

app = create_app()
