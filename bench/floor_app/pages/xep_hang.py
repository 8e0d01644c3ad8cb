from floor_page import render

render("xep_hang")
