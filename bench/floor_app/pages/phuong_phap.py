from floor_page import render

render("phuong_phap")
