from floor_page import render

render("so_sanh")
