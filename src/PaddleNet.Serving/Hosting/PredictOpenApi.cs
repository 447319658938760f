using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PaddleNet.Serving.Hosting;

/// <summary>
/// Describes the request body of <c>POST /v1/models/{name}:predict</c> in the OpenAPI document (the endpoint reads
/// the body itself, so that an unsupported Content-Type is a 415 ProblemDetails rather than a routing miss).
/// </summary>
internal static class PredictOpenApi
{
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId != "Predict") return Task.CompletedTask;
        var b64 = new OpenApiSchema { Type = JsonSchemaType.String, Format = "byte", Description = "base64 of the encoded image file" };
        var topK = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Description = "classes per image (classifiers; default: the config's Topk.topk)" };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["image"] = b64,
                            ["images"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = b64 },
                            ["top_k"] = topK,
                        },
                    },
                },
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["image"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                            ["top_k"] = topK,
                        },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }
}
