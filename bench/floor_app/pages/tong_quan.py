from floor_page import render

render("tong_quan")
