from floor_page import render

render("ban_do")
