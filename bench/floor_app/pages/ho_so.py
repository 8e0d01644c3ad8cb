from floor_page import render

render("ho_so")
