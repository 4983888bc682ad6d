package io.huddle.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to a request Jetty refuses before any route sees it (an address with a control
 * character, say): a problem document, like every other error, instead of Jetty's HTML page. Its
 * detail says what kind of thing was wrong, never the request itself.
 */
final class JettyErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : 400;
        Problem problem = Problem.of(
                        status,
                        status == 400 ? "bad-request" : "http-" + status,
                        status == 400 ? "Bad request" : "HTTP error",
                        status == 400
                                ? "the request could not be read: a malformed address, query or header"
                                : "the server could not take the request")
                .at(
                        request.getHttpURI().getPath() == null
                                ? "/"
                                : request.getHttpURI().getPath());
        byte[] body;
        try {
            body = WebApp.JSON.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            body = ("{\"status\":" + status + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
